{#- CRM records that point at an account the CRM export does not hold (a contact's AccountId, a
    converted lead's ConvertedAccountId): kept in view for sales ops to correct in Salesforce,
    instead of failing the build. -#}
with

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

references_made as (
    select
        'contact' as crm_object,
        contact_id as crm_id,
        record_id,
        'AccountId' as crm_field,
        account_id as referenced_account_id,
        source_file_path,
        source_line_number,
        loaded_at
    from contacts
    where account_id is not null
    union all
    select
        'lead' as crm_object,
        lead_id as crm_id,
        record_id,
        'ConvertedAccountId' as crm_field,
        converted_account_id as referenced_account_id,
        source_file_path,
        source_line_number,
        loaded_at
    from leads
    where converted_account_id is not null
),

final as (
    select
        references_made.crm_object || ':' || references_made.crm_id || ':' || references_made.crm_field
            as reference_key,
        references_made.crm_object,
        references_made.crm_id,
        references_made.record_id,
        references_made.crm_field,
        references_made.referenced_account_id,
        'sales_ops' as owner_team,
        references_made.source_file_path,
        references_made.source_line_number,
        references_made.loaded_at
    from references_made
    left join accounts on references_made.referenced_account_id = accounts.account_id
    where accounts.account_id is null
)

select * from final
