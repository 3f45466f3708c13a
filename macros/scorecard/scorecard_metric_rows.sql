{#- The scorecard's headline metrics in force as SQL rows (a values list with named columns):
    metric_order, metric_name, label and description (from the semantic layer's metric of that
    name), unit (share, count or days), owner_team, direction (higher or lower is better), target
    and tolerance. -#}
{% macro scorecard_metric_rows() -%}
    select * from (
        values
        {%- for metric in scorecard_metrics() %}
        {%- set defined = graph.metrics.get('metric.' ~ project_name ~ '.' ~ metric['name'], {}) if execute else {} %}
        (
            {{ loop.index }},
            '{{ metric["name"] }}',
            '{{ (defined.get("label") or metric["name"]) | replace("'", "''") }}',
            '{{ (defined.get("description") or "") | trim | replace("'", "''") }}',
            '{{ metric["unit"] }}',
            '{{ metric["owner_team"] }}',
            '{{ metric["direction"] }}',
            {{ metric["target"] }}::double,
            {{ metric.get("tolerance") or 0 }}::double
        ){{ "," if not loop.last }}
        {%- endfor %}
    ) as metrics (metric_order, metric_name, label, description, unit, owner_team, direction, target, tolerance)
{%- endmacro %}
