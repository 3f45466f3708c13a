{#- A name match is dropped when the lead's company domain and the account's website domain are both
    known and differ: two companies with similar names are common, one company with two domains
    rarer. -#}
{%- set domains_conflict = "coalesce(leads.company_domain_key != accounts.website_domain, false)" -%}

{#- Each inbound lead matched to an existing CRM account. Candidate accounts come from four
    methods, each with a confidence: the person already is a contact of the account, the lead's
    company domain is the account's website domain (never a free-mail domain), the company match
    names are equal, or they are close (Jaro-Winkler). The best candidate wins; a runner-up from
    another account within var account_ambiguity_margin makes the match ambiguous. -#}
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

account_decisions as (
    select * from {{ ref('stg_reviews__match_decisions') }}
    where decision = 'lead_account'
),

contact_accounts as (
    -- The accounts of the CRM contacts in each person's cluster.
    select distinct
        person_records.person_id,
        contacts.account_id
    from person_records
    inner join contacts on person_records.record_id = contacts.record_id
    where contacts.account_id is not null
),

by_contact as (
    select
        leads.record_id,
        contact_accounts.account_id,
        'person_is_contact' as match_method,
        0.98 as match_confidence
    from leads
    inner join person_records on leads.record_id = person_records.record_id
    inner join contact_accounts on person_records.person_id = contact_accounts.person_id
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

by_name as (
    -- A name that several known companies share counts only with the domain to back it.
    select
        leads.record_id,
        accounts.account_id,
        'exact_name' as match_method,
        case
            when coalesce(name_owners.company_count, 1) > 1 and leads.company_domain_key is null then 0.6
            when leads.country_key = accounts.billing_country_code then 0.95
            else 0.9
        end as match_confidence
    from leads
    inner join accounts on leads.company_name_key = accounts.account_match_name
    left join name_owners on accounts.account_match_name = name_owners.company_match_name
    where not {{ domains_conflict }}
),

by_fuzzy_name as (
    -- Close names, compared only within the same first three letters to keep the join small.
    select
        leads.record_id,
        accounts.account_id,
        'fuzzy_name' as match_method,
        jaro_winkler_similarity(leads.company_name_key, accounts.account_match_name)
        * case when leads.country_key = accounts.billing_country_code then 0.9 else 0.8 end as match_confidence
    from leads
    inner join accounts
        on
            left(leads.company_name_key, 3) = left(accounts.account_match_name, 3)
            and leads.company_name_key != accounts.account_match_name
    where
        jaro_winkler_similarity(leads.company_name_key, accounts.account_match_name)
        >= {{ var('account_fuzzy_name_similarity') }}
        and not {{ domains_conflict }}
),

direct_candidates as (
    select * from by_contact
    union all
    select * from by_domain
    union all
    select * from by_name
    union all
    select * from by_fuzzy_name
),

direct_best as (
    -- Each lead's best account from its own evidence, when it stands clear of any other account.
    select
        record_id,
        account_id
    from direct_candidates
    where match_confidence >= {{ var('account_match_threshold') }}
    qualify
        row_number() over (partition by record_id order by match_confidence desc, account_id asc) = 1
        and count(distinct account_id) over (partition by record_id) = 1
),

by_same_person as (
    -- A record without evidence of its own takes the account the person's other records matched
    -- (the same person works at one company).
    select
        leads.record_id,
        direct_best.account_id,
        'same_person' as match_method,
        0.93 as match_confidence
    from leads
    inner join person_records as lead_person on leads.record_id = lead_person.record_id
    inner join person_records as other_record
        on lead_person.person_id = other_record.person_id and lead_person.record_id != other_record.record_id
    inner join direct_best on other_record.record_id = direct_best.record_id
),

candidates as (
    select * from direct_candidates
    union all
    select * from by_same_person
),

best_per_account as (
    -- Each account's strongest evidence for the lead.
    select
        record_id,
        account_id,
        match_method,
        match_confidence
    from candidates
    qualify row_number() over (
        partition by record_id, account_id order by match_confidence desc, match_method asc
    ) = 1
),

ranked as (
    select
        *,
        row_number() over (partition by record_id order by match_confidence desc, account_id asc) as candidate_rank
    from best_per_account
),

top_two as (
    select
        record_id,
        max(case when candidate_rank = 1 then account_id end) as account_id,
        max(case when candidate_rank = 1 then match_method end) as match_method,
        max(case when candidate_rank = 1 then match_confidence end) as match_confidence,
        max(case when candidate_rank = 2 then account_id end) as runner_up_account_id,
        max(case when candidate_rank = 2 then match_confidence end) as runner_up_confidence
    from ranked
    where candidate_rank <= 2
    group by record_id
),

decided as (
    select
        *,
        coalesce(
            runner_up_confidence >= match_confidence - {{ var('account_ambiguity_margin') }}, false
        ) as is_ambiguous,
        match_confidence >= {{ var('account_match_threshold') }} as is_confident
    from top_two
),

model_matches as (
    select
        leads.record_id,
        decided.account_id as candidate_account_id,
        decided.match_method,
        decided.match_confidence as match_probability,
        decided.runner_up_account_id,
        decided.runner_up_confidence,
        coalesce(decided.is_ambiguous, false) as is_ambiguous,
        case
            when decided.account_id is null then 'no_candidate'
            when decided.is_ambiguous then 'ambiguous'
            when decided.is_confident then 'matched'
            else 'below_threshold'
        end as match_status,
        case when decided.is_confident and not decided.is_ambiguous then decided.account_id end as account_id,
        (
            not coalesce(decided.is_confident, false)
            and not coalesce(decided.is_ambiguous, false)
            and (leads.company_name_key is not null or leads.company_domain_key is not null)
        ) as is_new_account_candidate
    from leads
    left join decided on leads.record_id = decided.record_id
),

final as (
    -- A reviewer's decision overrides the model: the lead belongs to the account decided (or none).
    select
        model_matches.record_id,
        model_matches.candidate_account_id,
        case when account_decisions.record_id is not null then 'reviewer' else model_matches.match_method end
            as match_method,
        case when account_decisions.record_id is not null then 1.0 else model_matches.match_probability end
            as match_probability,
        model_matches.runner_up_account_id,
        model_matches.runner_up_confidence,
        model_matches.is_ambiguous and account_decisions.record_id is null as is_ambiguous,
        case
            when account_decisions.record_id is null then model_matches.match_status
            when account_decisions.account_id is null then 'decided_none'
            else 'matched'
        end as match_status,
        case
            when account_decisions.record_id is not null then account_decisions.account_id
            else model_matches.account_id
        end as account_id,
        case
            when account_decisions.record_id is not null
                then account_decisions.account_id is null and model_matches.is_new_account_candidate
            else model_matches.is_new_account_candidate
        end as is_new_account_candidate,
        model_matches.account_id as model_account_id
    from model_matches
    left join account_decisions on model_matches.record_id = account_decisions.record_id
)

select * from final
