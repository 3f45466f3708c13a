{#- Drops the temporary tables dbt's incremental materialisations leave behind (<model>__dbt_tmp
    followed by a timestamp), which hold copies of the model's rows, personal data included: a
    model's own (identifier given: its post-hook) or every one in the warehouse (the project's
    on-run-end hook, which also clears those of a run that was killed). Returns no SQL. -#}
{% macro drop_temporary_relations(identifier=none) -%}
    {%- if execute -%}
        {%- set pattern = (identifier ~ '__dbt_tmp%') if identifier else '%__dbt_tmp%' -%}
        {%- set leftovers = run_query(
            "select table_schema, table_name, table_type from information_schema.tables "
            ~ "where table_catalog = current_database() and table_name like '" ~ pattern ~ "'"
        ) -%}
        {%- for schema, name, kind in leftovers.rows -%}
            {%- do run_query(
                "drop " ~ ('view' if kind == 'VIEW' else 'table') ~ " if exists "
                ~ adapter.quote(schema) ~ "." ~ adapter.quote(name)
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
