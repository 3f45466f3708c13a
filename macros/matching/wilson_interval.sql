{#- One bound of the Wilson score interval of a share (successes out of trials): the range a share
    measured on a sample of labels is likely to hold, which stays within 0 and 1 and is honest for
    small counts and for shares of 0 or 1. Null when there are no trials. -#}
{% macro wilson_interval(successes, trials, bound, z=1.959963984540054) -%}
    {%- if bound not in ('lower', 'upper') -%}
        {{ exceptions.raise_compiler_error("wilson_interval: bound is '" ~ bound ~ "'; expected lower or upper") }}
    {%- endif -%}
    {%- set x = 'cast((' ~ successes ~ ') as double)' -%}
    {%- set n = 'cast((' ~ trials ~ ') as double)' -%}
    case
        when {{ n }} > 0 then {{ 'greatest(0.0, ' if bound == 'lower' else 'least(1.0, ' }}(
            {{ x }} + {{ z * z / 2 }}
            {{ '-' if bound == 'lower' else '+' }} {{ z }} * sqrt({{ x }} * ({{ n }} - {{ x }}) / {{ n }} + {{ z * z / 4 }})
        ) / ({{ n }} + {{ z * z }}))
    end
{%- endmacro %}
