{#- True when a record's email address is one a lead can be worked with: deliverable
    (is_deliverable_email) and not a role address (info@, sales@). False when there is no address.
    Argument: relation_alias (the record's alias in the query; none for unqualified columns). Reads
    is_email_syntax_valid, is_disposable_email and is_role_email. -#}
{% macro is_usable_email(relation_alias=none) -%}
    {%- set p = relation_alias ~ '.' if relation_alias else '' -%}
    ({{ is_deliverable_email(relation_alias) }} and not coalesce({{ p }}is_role_email, false))
{%- endmacro %}
