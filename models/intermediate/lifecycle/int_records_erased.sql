{#- The one definition of an erased record: every person record (inbound lead or CRM contact) of a
    person who asked to be erased, whichever address each record used, and every record already
    erased (a tombstone, whose personal data are gone). The lifecycle marks these records erased,
    the marts mask them, and the erase step (lead-factory's erasure) removes the personal data of
    those still pending from every table. -#}
with

events as (
    select * from {{ ref('stg_events__contact_events') }}
),

person_records as (
    select * from {{ ref('int_person_records_unioned') }}
),

persons as (
    select * from {{ ref('int_persons_clustered') }}
),

leads as (
    select * from {{ ref('int_leads_unioned') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

requests as (
    select
        event_key,
        email,
        occurred_at
    from events
    where event_type = 'erasure_request' and email is not null
),

requesting_persons as (
    -- The person of every record whose address asked to be erased (its first request).
    select
        persons.person_id,
        requests.event_key,
        requests.occurred_at
    from requests
    inner join person_records on requests.email = person_records.email
    inner join persons on person_records.record_id = persons.record_id
    qualify row_number() over (
        partition by persons.person_id order by requests.occurred_at, requests.event_key
    ) = 1
),

pending as (
    -- Every record of those persons: all of their records, not only the one with the address.
    select
        persons.record_id,
        persons.person_id,
        requesting_persons.event_key as erasure_request_key,
        requesting_persons.occurred_at as erasure_requested_at,
        null::timestamp as erased_at
    from persons
    inner join requesting_persons on persons.person_id = requesting_persons.person_id
),

tombstones as (
    select
        record_id,
        erased_at
    from leads
    where erased_at is not null
    union all
    select
        record_id,
        erased_at
    from contacts
    where erased_at is not null
),

sources as (
    -- Where each record's raw rows are: its source, its key there, and the file and line.
    select
        record_id,
        'lead' as record_type,
        source_system,
        source_record_id,
        source_file_sha256,
        source_file_path,
        source_line_number,
        email
    from leads
    union all
    select
        record_id,
        'contact' as record_type,
        'crm_contact' as source_system,
        contact_id as source_record_id,
        source_file_sha256,
        source_file_path,
        source_line_number,
        email
    from contacts
),

erased as (
    select
        record_id,
        person_id,
        erasure_request_key,
        erasure_requested_at,
        erased_at
    from pending
    union all
    select
        record_id,
        null::varchar as person_id,
        null::varchar as erasure_request_key,
        null::timestamp as erasure_requested_at,
        erased_at
    from tombstones
),

final as (
    select
        erased.record_id,
        sources.record_type,
        sources.source_system,
        sources.source_record_id,
        sources.source_file_sha256,
        sources.source_file_path,
        sources.source_line_number,
        sources.email,
        erased.person_id,
        erased.erasure_request_key,
        erased.erasure_requested_at,
        erased.erased_at,
        erased.erased_at is null as is_pending
    from erased
    inner join sources on erased.record_id = sources.record_id
)

select * from final
