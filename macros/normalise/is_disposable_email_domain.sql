{#- True when an email domain is a disposable-address service's (disposable-email-domains package).
    Argument: domain_expr (SQL giving a lower-case domain). -#}
{% macro is_disposable_email_domain(domain_expr) -%}
    ({{ reference_lookup('disposable_email_domain', domain_expr) }} is not null)
{%- endmacro %}
