{#- Expectation: no value occurs in more than one row (of those meeting row_condition); nulls are
    ignored. Fails with one row per duplicated value and its n_records.
    Arguments: column_name, row_condition (optional filter). -#}
{% test expect_column_values_to_be_unique(model, column_name, row_condition=none) %}

select
    {{ column_name }},
    count(*) as n_records
from {{ model }}
where
    {{ column_name }} is not null
    {%- if row_condition %}
    and ({{ row_condition }})
    {%- endif %}
group by {{ column_name }}
having count(*) > 1

{% endtest %}
