{#- Expectation: in every row, the column equals the sum of the other columns (null parts count as
    0), e.g. a landed file's rows_in = rows_loaded + rows_rejected. Fails with the rows that do not.
    Arguments: column_name (the total), sum_columns (list of columns), row_condition (optional
    filter, as in dbt_expectations). -#}
{% test expect_column_values_to_equal_sum_of_columns(model, column_name, sum_columns, row_condition=none) %}

select *
from {{ model }}
where
    {{ column_name }} is distinct from (
        {% for part in sum_columns %}coalesce({{ part }}, 0){% if not loop.last %} + {% endif %}{% endfor %}
    )
    {% if row_condition %}and ({{ row_condition }}){% endif %}

{% endtest %}
