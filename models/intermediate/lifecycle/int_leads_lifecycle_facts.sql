{#- The facts the lifecycle is decided on, per inbound record: its Minimum Viable Lead status,
    whether it is converted (its person already is a CRM contact, or it matched an existing
    account), the contact events on its email (hard bounce, unsubscribe, erasure request), whether
    it is a duplicate of its person's first record, how long its person has been quiet, and the
    first retirement rule that holds (var retirement_rules, in declared order). A record is erased
    when int_records_erased lists it: every record of a person who asked, whichever address. -#}
with

classified as (
    select * from {{ ref('int_leads_classified') }}
),

persons as (
    select * from {{ ref('int_persons_clustered') }}
),

person_records as (
    select * from {{ ref('int_person_records_prepared') }}
),

events as (
    select * from {{ ref('stg_events__contact_events') }}
),

erased_records as (
    select * from {{ ref('int_records_erased') }}
),

email_events as (
    select
        email,
        min(occurred_at) filter (where event_type = 'hard_bounce') as hard_bounced_at,
        min(occurred_at) filter (where event_type = 'unsubscribe') as unsubscribed_at
    from events
    where email is not null
    group by email
),

person_activity as (
    select
        persons.person_id,
        max(person_records.arrived_at) as last_activity_at,
        bool_or(person_records.record_type = 'contact') as is_existing_contact,
        -- The person's first inbound record: the others are its duplicates.
        arg_min(
            person_records.record_id, (person_records.arrived_at, person_records.record_id)
        ) filter (where person_records.record_type = 'lead') as first_lead_record_id
    from persons
    inner join person_records on persons.record_id = person_records.record_id
    group by persons.person_id
),

facts as (
    select
        classified.record_id,
        classified.source_system,
        classified.loaded_at,
        classified.arrived_at,
        classified.last_fixed_at,
        classified.last_enriched_at,
        classified.mvl_status,
        persons.person_id,
        coalesce(person_activity.is_existing_contact, false) as is_existing_contact,
        classified.account_match_status = 'matched' as is_matched_to_account,
        coalesce(person_activity.is_existing_contact, false)
        or classified.account_match_status = 'matched' as is_converted,
        email_events.hard_bounced_at,
        email_events.unsubscribed_at,
        coalesce(erased_records.erasure_requested_at, erased_records.erased_at) as erasure_requested_at,
        email_events.hard_bounced_at is not null as has_hard_bounce,
        email_events.unsubscribed_at is not null
        or coalesce(classified.has_opted_out_of_email, false) as has_unsubscribed,
        erased_records.record_id is not null as has_erasure_request,
        person_activity.first_lead_record_id,
        person_activity.first_lead_record_id is not null
        and person_activity.first_lead_record_id != classified.record_id as is_duplicate_record,
        person_activity.last_activity_at,
        date_diff('day', person_activity.last_activity_at, {{ factory_as_of() }}) as days_since_last_activity,
        coalesce(
            date_diff('day', person_activity.last_activity_at, {{ factory_as_of() }}) > {{ var('stale_after_days') }},
            false
        ) as is_stale
    from classified
    left join persons on classified.record_id = persons.record_id
    left join person_activity on persons.person_id = person_activity.person_id
    left join email_events on classified.email = email_events.email
    left join erased_records on classified.record_id = erased_records.record_id
),

final as (
    select
        *,
        case
            {%- for rule in retirement_rules() %}
                when coalesce(({{ rule['condition'] }}), false) then '{{ rule["name"] }}'
            {%- endfor %}
        end as retirement_reason
    from facts
)

select * from final
