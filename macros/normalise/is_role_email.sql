{#- True when an email's local part names a role, not a person (info@, sales@ ...: RFC 2142 and
    common role mailboxes, the role_email_local_parts seed). Argument: local_part_expr. -#}
{% macro is_role_email(local_part_expr) -%}
    ({{ reference_lookup('role_email_local_part', local_part_expr) }} is not null)
{%- endmacro %}
