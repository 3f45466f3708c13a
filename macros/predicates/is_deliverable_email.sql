{#- True when a record's email address can be delivered to: well formed and not from a
    disposable-mail service (it may be free-mail or a role address). False when there is no
    address. The one definition matching, enrichment and the marts use. Argument: relation_alias
    (the record's alias in the query; none for unqualified columns). Reads is_email_syntax_valid
    and is_disposable_email. -#}
{% macro is_deliverable_email(relation_alias=none) -%}
    {%- set p = relation_alias ~ '.' if relation_alias else '' -%}
    coalesce({{ p }}is_email_syntax_valid and not {{ p }}is_disposable_email, false)
{%- endmacro %}
