{#- A person's name, cleaned, with its casing repaired when typed all upper or all lower case
    (Python: lead_factory.normalize.proper_case_name, registered by the dbt plugin). -#}
{% macro proper_case_name(expr) -%}
    lf_proper_case_name({{ clean_text(expr) }})
{%- endmacro %}
