{#- Expectation: the relation has the column (names compared after the transform filter, "upper" by
    default, i.e. case-insensitively), at the 1-based column_index when one is given. Fails with one
    row naming the column, the position found (0: missing) and the position expected. Arguments:
    column_name, column_index (optional), transform (a Jinja filter name, default "upper"). -#}
{% test expect_column_to_exist(model, column_name, column_index=none, transform="upper") %}
{%- if execute -%}
{%- set wanted = [column_name] | map(transform) | first -%}
{%- set names = adapter.get_columns_in_relation(model) | map(attribute="name") | map(transform) | list -%}
{%- set position = names.index(wanted) + 1 if wanted in names else 0 -%}
{%- set exists = position > 0 and (column_index is none or position == column_index) %}

select
    '{{ wanted | replace("'", "''") }}' as column_name,
    {{ position }} as column_position,
    {{ column_index if column_index is not none else "cast(null as integer)" }} as expected_column_position
where {{ "false" if exists else "true" }}

{%- endif -%}
{% endtest %}
