{#- Every person id ever issued and what became of it: active, merged into another person (with
    the id it resolves to now, following merges of merges), split up, or retired. -#}
with recursive

versions as (
    select * from {{ ref('snp_person_ids') }}
),

changes as (
    select * from {{ ref('fct_person_id_changes') }}
),

issued as (
    select
        person_id,
        min(dbt_valid_from) as first_issued_at,
        max(coalesce(dbt_valid_to, '9999-12-31'::timestamp)) as last_valid_to,
        count(*) filter (where dbt_valid_to is null) as current_record_count
    from versions
    group by person_id
),

last_moves as (
    -- Where each id's records went at its latest change.
    select
        old_person_id,
        changed_at,
        count(*) as successor_count,
        min(new_person_id) as new_person_id,
        bool_and(change_type = 'merged') as is_merge
    from changes
    group by old_person_id, changed_at
    qualify row_number() over (partition by old_person_id order by changed_at desc) = 1
),

merged_into as (
    select
        last_moves.old_person_id as person_id,
        last_moves.new_person_id as merged_into_person_id
    from last_moves
    inner join issued on last_moves.old_person_id = issued.person_id
    where last_moves.is_merge and issued.current_record_count = 0
),

resolution (person_id, current_person_id, hops) as (
    -- Follow merges of merges until an id that is not itself merged away (at most 100 hops).
    select
        person_id,
        merged_into_person_id as current_person_id,
        1 as hops
    from merged_into
    union all
    select
        resolution.person_id,
        merged_into.merged_into_person_id as current_person_id,
        resolution.hops + 1 as hops
    from resolution
    inner join merged_into on resolution.current_person_id = merged_into.person_id
    where resolution.hops < 100
),

resolved as (
    select *
    from resolution
    qualify row_number() over (partition by person_id order by hops desc) = 1
),

split_origins as (
    -- Ids whose first records came from a split of another person.
    select
        changes.new_person_id as person_id,
        min(changes.old_person_id) as split_from_person_id
    from changes
    inner join issued
        on changes.new_person_id = issued.person_id and changes.changed_at = issued.first_issued_at
    where changes.change_type = 'split'
    group by changes.new_person_id
),

final as (
    select
        issued.person_id,
        case
            when issued.current_record_count > 0 then 'active'
            when merged_into.person_id is not null then 'merged'
            when last_moves.old_person_id is not null then 'split'
            else 'retired'
        end as person_id_status,
        case
            when issued.current_record_count > 0 then issued.person_id
            else resolved.current_person_id
        end as current_person_id,
        merged_into.merged_into_person_id,
        split_origins.split_from_person_id,
        issued.first_issued_at,
        case
            when issued.current_record_count = 0
                then coalesce(last_moves.changed_at, issued.last_valid_to)
        end as retired_at,
        issued.current_record_count
    from issued
    left join merged_into on issued.person_id = merged_into.person_id
    left join resolved on issued.person_id = resolved.person_id
    left join last_moves on issued.person_id = last_moves.old_person_id
    left join split_origins on issued.person_id = split_origins.person_id
)

select * from final
