{#- True when a company field holds a value that names no company ("Freelance", "Self-employed",
    "Student"; seed non_company_names), false otherwise (and for null).
    Argument: expr (SQL giving the company name as typed). -#}
{% macro is_non_company_name(expr) -%}
    coalesce({{ reference_lookup('non_company_name', lookup_key(expr)) }} is not null, false)
{%- endmacro %}
