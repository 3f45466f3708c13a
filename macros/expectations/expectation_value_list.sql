{#- A comma-separated SQL list of the values, for "in (...)": quoted as string literals (single
    quotes doubled) when quote_values, else written as given (numbers, SQL expressions). -#}
{% macro expectation_value_list(value_set, quote_values=true) %}
{%- if execute and (value_set is string or value_set is not iterable or value_set | length == 0) -%}
    {{ exceptions.raise_compiler_error("value_set must be a non-empty list, got: " ~ value_set) }}
{%- endif -%}
{%- for value in value_set -%}
    {%- if quote_values -%}'{{ value | string | replace("'", "''") }}'{%- else -%}{{ value }}{%- endif -%}
    {%- if not loop.last %}, {% endif -%}
{%- endfor -%}
{%- endmacro %}
