{#- A record's company web domain: its email's domain when the email is a work address
    (is_work_email), else its website's domain; never a free-mail domain. Matching compares it,
    enrichment looks companies up by it. Argument: relation_alias (the record's alias in the
    query; none for unqualified columns). Reads is_email_syntax_valid, is_free_email,
    is_disposable_email, email_domain and website_domain. -#}
{% macro company_domain(relation_alias=none) -%}
    {%- set p = relation_alias ~ '.' if relation_alias else '' -%}
    coalesce(
        case when {{ is_work_email(relation_alias) }} then {{ p }}email_domain end,
        {{ p }}website_domain
    )
{%- endmacro %}
