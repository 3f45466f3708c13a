{#- The columns every staging model derives from a normalised email column, in one place:
    email_domain, email_local_part, is_email_syntax_valid, is_free_email, is_disposable_email and
    is_role_email. Use inside a select list: {{ email_attribute_columns('email') }}, -#}
{% macro email_attribute_columns(email_column) -%}
    {{ email_domain(email_column) }} as email_domain,
    {{ email_local_part(email_column) }} as email_local_part,
    {{ is_valid_email_syntax(email_column) }} as is_email_syntax_valid,
    {{ is_free_email_domain(email_domain(email_column)) }} as is_free_email,
    {{ is_disposable_email_domain(email_domain(email_column)) }} as is_disposable_email,
    {{ is_role_email(email_local_part(email_column)) }} as is_role_email
{%- endmacro %}
