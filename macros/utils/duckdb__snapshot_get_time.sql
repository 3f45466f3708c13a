{#- The time a snapshot stamps its versions with (dbt_valid_from, dbt_valid_to, dbt_updated_at):
    the run's clock (build_started_at) instead of DuckDB's now(), so a status or person-id change
    is dated at the run that saw it, the same as in every other history table, and a resumed run
    dates it as an uninterrupted one would. Overrides dbt-duckdb's implementation. -#}
{% macro duckdb__snapshot_get_time() -%}
    {{ build_started_at() }}
{%- endmacro %}
