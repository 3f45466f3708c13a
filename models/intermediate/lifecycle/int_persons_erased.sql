{#- The people who asked to be erased and whose records are not all erased yet: one row per person
    with a record in int_records_erased (the one definition of an erased record). The marts mask
    every record of such a person, whichever address it used, until the erase step has removed
    their data everywhere. -#}
with

erased_records as (
    select * from {{ ref('int_records_erased') }}
),

final as (
    select
        person_id,
        count(*) as erased_record_count,
        min(erasure_requested_at) as first_requested_at
    from erased_records
    where person_id is not null
    group by person_id
)

select * from final
