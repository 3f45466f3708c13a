{#- True when a record's email address is a deliverable work address: deliverable
    (is_deliverable_email) and not from a free-mail provider, so its domain is the company's.
    False when there is no address. Argument: relation_alias (the record's alias in the query;
    none for unqualified columns). Reads is_email_syntax_valid, is_disposable_email and
    is_free_email. -#}
{% macro is_work_email(relation_alias=none) -%}
    {%- set p = relation_alias ~ '.' if relation_alias else '' -%}
    ({{ is_deliverable_email(relation_alias) }} and not coalesce({{ p }}is_free_email, false))
{%- endmacro %}
