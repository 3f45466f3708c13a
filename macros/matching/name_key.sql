{#- A name as matching compares it: lower-case, accents folded, without the punctuation people put
    around names and initials ("D." is "d", "O'Brien" keeps its apostrophe), trimmed; null when
    nothing is left. Argument: expr (the name). -#}
{% macro name_key(expr) -%}
    nullif(trim(regexp_replace(lower(strip_accents({{ expr }})), '[.,;:()"!?]', '', 'g')), '')
{%- endmacro %}
