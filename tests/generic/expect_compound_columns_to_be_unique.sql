{#- Expectation: the columns together are unique (a compound key). Rows are ignored when all the
    columns are null (ignore_row_if "all_values_are_missing", the default) or when any is null
    ("any_value_is_missing"). Fails with one row per duplicated combination and its n_records.
    Arguments: column_list (list), quote_columns (default false), ignore_row_if, row_condition
    (optional filter). -#}
{% test expect_compound_columns_to_be_unique(model, column_list, quote_columns=false, ignore_row_if="all_values_are_missing", row_condition=none) %}
{%- if execute and (column_list is string or not column_list) -%}
    {{ exceptions.raise_compiler_error("column_list must be a non-empty list of columns, got: " ~ column_list) }}
{%- endif -%}
{%- if execute and ignore_row_if not in ["all_values_are_missing", "any_value_is_missing"] -%}
    {{ exceptions.raise_compiler_error(
        "ignore_row_if must be all_values_are_missing or any_value_is_missing, got: " ~ ignore_row_if
    ) }}
{%- endif -%}
{%- set columns = [] -%}
{%- for column in column_list -%}
    {%- do columns.append(adapter.quote(column) if quote_columns else column) -%}
{%- endfor -%}
{%- set missing_joiner = " and " if ignore_row_if == "all_values_are_missing" else " or " %}

select
    {%- for column in columns %}
    {{ column }},
    {%- endfor %}
    count(*) as n_records
from {{ model }}
where
    not ({% for column in columns %}{{ column }} is null{% if not loop.last %}{{ missing_joiner }}{% endif %}{% endfor %})
    {%- if row_condition %}
    and ({{ row_condition }})
    {%- endif %}
group by {{ columns | join(", ") }}
having count(*) > 1

{% endtest %}
