{#- Every change of a person id, read from the person-id snapshot: when records move from one
    person id to another. A person whose records all moved to one other person was merged into it
    (the old id is kept as a tombstone pointing at the survivor); a person whose records went to
    several people was split. -#}
with

versions as (
    select * from {{ ref('snp_person_ids') }}
),

moves as (
    -- Each record's move from one person id to the next.
    select
        record_id,
        lag(person_id) over (partition by record_id order by dbt_valid_from) as old_person_id,
        person_id as new_person_id,
        dbt_valid_from as changed_at
    from versions
),

record_moves as (
    select *
    from moves
    where old_person_id is not null and old_person_id != new_person_id
),

person_moves as (
    select
        old_person_id,
        new_person_id,
        changed_at,
        count(*) as moved_record_count
    from record_moves
    group by old_person_id, new_person_id, changed_at
),

final as (
    select
        person_moves.old_person_id || '>' || person_moves.new_person_id || '@'
        || strftime(person_moves.changed_at, '%Y-%m-%dT%H:%M:%S.%f') as change_id,
        person_moves.old_person_id,
        person_moves.new_person_id,
        person_moves.changed_at,
        person_moves.moved_record_count,
        case
            when
                count(*) over (partition by person_moves.old_person_id, person_moves.changed_at) > 1
                or exists (
                    -- Some of the old person's records stayed behind under its id.
                    select 1
                    from versions as stayed
                    where
                        stayed.person_id = person_moves.old_person_id
                        and stayed.dbt_valid_from <= person_moves.changed_at
                        and coalesce(stayed.dbt_valid_to, '9999-12-31') > person_moves.changed_at
                )
                then 'split'
            else 'merged'
        end as change_type
    from person_moves
)

select * from final
