{#- True when the regular expression matches anywhere in the value (DuckDB regexp_matches, RE2
    syntax), null for a null value. flags are DuckDB's regex options, e.g. "i" (case-insensitive),
    "s" (dot matches newline). The pattern is written as a SQL string literal, single quotes doubled;
    backslashes need no escaping. -#}
{% macro expectation_regex_match(expression, regex, flags="") %}
{%- for flag in flags or "" -%}
    {%- if execute and flag not in "cilmnps" -%}
        {{ exceptions.raise_compiler_error("Unsupported regex flag '" ~ flag ~ "' (DuckDB allows c, i, l, m, n, p, s).") }}
    {%- endif -%}
{%- endfor -%}
regexp_matches({{ expression }}, '{{ regex | replace("'", "''") }}'{% if flags %}, '{{ flags }}'{% endif %})
{%- endmacro %}
