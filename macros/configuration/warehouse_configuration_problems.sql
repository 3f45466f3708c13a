{#- The configuration problems that need the warehouse or the project's graph (on-run-start only):
    nothing landed yet (for build, run and test), a rule condition that is not valid SQL or names a
    column its model does not have (DuckDB's own parser reads each condition), and a blocking rule
    naming a column int_person_records_prepared does not have, and a scorecard metric that is no
    metric of the semantic layer. -#}
{% macro warehouse_configuration_problems() -%}
    {%- set problems = [] -%}
    {%- if flags.WHICH in ['build', 'run', 'test']
        and adapter.get_relation(database=target.database, schema='raw', identifier='landing_batches') is none -%}
        {%- do problems.append(
            "nothing has been landed into this warehouse yet (raw.landing_batches is missing): land files "
            ~ "first with `lead-factory land` (your files) or `lead-factory demo` (demo data), then build"
        ) -%}
        {{ return(problems) }}
    {%- endif -%}
    {%- do problems.extend(condition_problems(mvl_rule_declaration(), 'int_leads_classified')) -%}
    {%- do problems.extend(condition_problems(retirement_rule_declaration(), 'int_leads_lifecycle_facts')) -%}
    {%- for metric in scorecard_metric_declaration()['rules']
        if 'metric.' ~ project_name ~ '.' ~ metric['name'] not in graph.metrics -%}
        {%- do problems.append(
            scorecard_metric_declaration()['origins'][metric['name']]['name'] ~ ": metric " ~ metric['name']
            ~ " is not a metric of the semantic layer (models/marts/semantic/_semantic__metrics.yml)"
        ) -%}
    {%- endfor -%}
    {%- set prepared = graph.nodes.get('model.' ~ project_name ~ '.int_person_records_prepared') -%}
    {%- if prepared -%}
        {%- for rule in var("person_blocking_rules") -%}
            {%- set rule_number = loop.index -%}
            {%- for column in rule if column not in prepared.columns -%}
                {%- do problems.append(
                    "person_blocking_rules: rule " ~ rule_number ~ " names column '" ~ column
                    ~ "', which int_person_records_prepared does not have (its columns: "
                    ~ prepared.columns.keys() | select('ne', '') | list | join(', ') ~ ")"
                ) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(problems) }}
{%- endmacro %}
