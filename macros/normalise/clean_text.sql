{#- Trimmed text with inner whitespace (including no-break and zero-width spaces) collapsed to one
    space; null when nothing is left or the value is a placeholder from var('placeholder_values'). -#}
{% macro clean_text(expr) -%}
    {%- set collapsed -%}
        trim(regexp_replace({{ expr }}, '[\s\x{00A0}\x{200B}\x{FEFF}]+', ' ', 'g'))
    {%- endset -%}
    case
        when lower({{ collapsed }}) in (
            ''{% for value in var('placeholder_values') %}, '{{ value | replace("'", "''") }}'{% endfor %}
        ) then null
        else {{ collapsed }}
    end
{%- endmacro %}
