{#- The value stg_reference__lookups holds for a lookup type and key, or null (a scalar subquery,
    which DuckDB turns into a join). Arguments: lookup_type (a string: country,
    lead_source:<system>, free_email_domain, disposable_email_domain, role_email_local_part) and
    key_expr (SQL giving the key in the lookup's form). -#}
{% macro reference_lookup(lookup_type, key_expr) -%}
    (
        select lookups.lookup_value
        from {{ ref('stg_reference__lookups') }} as lookups
        where lookups.lookup_type = '{{ lookup_type }}' and lookups.lookup_key = {{ key_expr }}
    )
{%- endmacro %}
