{#- The people who asked to be erased: one row per person with at least one erased record
    (lifecycle status erased, from an erasure request). Every record of such a person is masked in
    the marts, whichever address it used: the one definition of "an erased person". -#}
with

persons as (
    select * from {{ ref('int_persons_clustered') }}
),

milestones as (
    select * from {{ ref('int_lead_milestones_accumulated') }}
),

final as (
    select
        persons.person_id,
        count(*) as erased_record_count,
        min(milestones.erased_at) as first_erased_at
    from persons
    inner join milestones on persons.record_id = milestones.record_id
    where milestones.lifecycle_status = 'erased'
    group by persons.person_id
)

select * from final
