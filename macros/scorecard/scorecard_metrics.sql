{#- The scorecard's headline metrics in force: var scorecard_metrics with var
    scorecard_metric_overrides and var scorecard_extra_metrics applied (see rule_declaration).
    Stops the build, naming every problem, when the configuration has any. -#}
{% macro scorecard_metrics() -%}
    {%- do validate_configuration(static_only=true) -%}
    {{ return(scorecard_metric_declaration()['rules']) }}
{%- endmacro %}
