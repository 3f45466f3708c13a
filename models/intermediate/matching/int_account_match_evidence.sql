{#- The evidence that an inbound lead belongs to an existing CRM account, from the lead's own
    fields, one row per lead, account and method, each with a confidence: the person already is a
    contact of the account (person_is_contact), the lead's company domain is the account's website
    domain, never a free-mail domain (exact_domain), the company match names are equal
    (exact_name) or close by Jaro-Winkler (fuzzy_name). A name match is dropped when the lead's
    company domain and the account's website domain are both known and differ: two companies with
    similar names are common, one company with two domains rarer. -#}
with

leads as (
    select * from {{ ref('int_person_records_prepared') }}
    where record_type = 'lead'
),

person_records as (
    select * from {{ ref('int_persons_clustered') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
    where not is_deleted
),

directory as (
    select * from {{ ref('stg_firmographics__companies') }}
),

name_owners as (
    -- How many companies (by domain) are known under each match name, from the accounts and the
    -- firmographic directory: a name several companies share proves little on its own.
    select
        company_match_name,
        count(distinct company_domain) as company_count
    from (
        select
            account_match_name as company_match_name,
            website_domain as company_domain
        from accounts
        union all
        select
            company_match_name,
            company_domain
        from directory
    ) as named_domains
    where company_match_name is not null and company_domain is not null
    group by company_match_name
),

by_contact as (
    -- The accounts of the CRM contacts in the lead's person's cluster.
    select distinct
        leads.record_id,
        contacts.account_id,
        'person_is_contact' as match_method,
        0.98 as match_confidence
    from leads
    inner join person_records as lead_person on leads.record_id = lead_person.record_id
    inner join person_records as contact_person on lead_person.person_id = contact_person.person_id
    inner join contacts on contact_person.record_id = contacts.record_id
    where contacts.account_id is not null
),

by_domain as (
    select
        leads.record_id,
        accounts.account_id,
        'exact_domain' as match_method,
        0.97 as match_confidence
    from leads
    inner join accounts on leads.company_domain_key = accounts.website_domain
),

name_pairs as (
    -- Leads and accounts whose names may match: compared only within the same first three letters
    -- to keep the join small, and never across two known, different domains.
    select
        leads.record_id,
        leads.company_domain_key,
        leads.company_name_key,
        leads.country_key,
        accounts.account_id,
        accounts.account_match_name,
        accounts.billing_country_code,
        jaro_winkler_similarity(leads.company_name_key, accounts.account_match_name) as name_similarity
    from leads
    inner join accounts on left(leads.company_name_key, 3) = left(accounts.account_match_name, 3)
    where not coalesce(leads.company_domain_key != accounts.website_domain, false)
),

by_name as (
    -- A name that several known companies share counts only with the domain to back it.
    select
        name_pairs.record_id,
        name_pairs.account_id,
        'exact_name' as match_method,
        case
            when coalesce(name_owners.company_count, 1) > 1 and name_pairs.company_domain_key is null then 0.6
            when name_pairs.country_key = name_pairs.billing_country_code then 0.95
            else 0.9
        end as match_confidence
    from name_pairs
    left join name_owners on name_pairs.account_match_name = name_owners.company_match_name
    where name_pairs.company_name_key = name_pairs.account_match_name
),

by_fuzzy_name as (
    select
        record_id,
        account_id,
        'fuzzy_name' as match_method,
        name_similarity
        * case when country_key = billing_country_code then 0.9 else 0.8 end as match_confidence
    from name_pairs
    where
        company_name_key != account_match_name
        and name_similarity >= {{ var('account_fuzzy_name_similarity') }}
),

final as (
    select * from by_contact
    union all
    select * from by_domain
    union all
    select * from by_name
    union all
    select * from by_fuzzy_name
)

select * from final
