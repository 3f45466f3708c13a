{#- The form of a company name used for matching: legal suffixes (cleanco's lists) stripped,
    abbreviations expanded, accents folded, lower-case letters, digits and single spaces
    (Python: lead_factory.normalize.company_match_name). -#}
{% macro company_match_name(expr) -%}
    lf_company_match_name({{ clean_text(expr) }})
{%- endmacro %}
