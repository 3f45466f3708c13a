{#- A yes/no value from text (true/false, yes/no, y/n, 1/0, on/off, checked/unchecked, ja/nein,
    oui/non); null when empty or unrecognised, never a silent false. -#}
{% macro parse_boolean(expr) -%}
    case
        when lower(trim({{ expr }})) in ('true', 't', 'yes', 'y', '1', 'on', 'checked', 'ja', 'oui', 'si', 'sí') then true
        when lower(trim({{ expr }})) in ('false', 'f', 'no', 'n', '0', 'off', 'unchecked', 'nein', 'non') then false
    end
{%- endmacro %}
