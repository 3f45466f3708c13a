{#- A phone number in E.164 form when it is valid for its country, else null. country_code is the
    ISO alpha-2 region for numbers written without an international prefix (Python:
    lead_factory.normalize.phone_to_e164, on Google's libphonenumber data). -#}
{% macro phone_e164(phone_expr, country_code_expr) -%}
    lf_phone_e164({{ clean_text(phone_expr) }}, {{ country_code_expr }})
{%- endmacro %}
