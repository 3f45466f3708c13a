{#- The record fields the enrichment waterfall fills, in the order models and metrics list them
    (var enrichment_precedence declares each one's sources). Each is named as in steward fixes;
    country is held in the country_code column. -#}
{% macro enrichment_fields() -%}
    {{ return(['company_name', 'country', 'city', 'job_title', 'first_name', 'last_name']) }}
{%- endmacro %}
