-- How fast does the company first answer an application (automated acknowledgements aside)?
-- One row per group ($group_by: null for all, department, recruiter, job, source, week, month).
-- Params: $date_from $date_to (on applied_at) $department $recruiter $job $source $as_of $group_by
with apps as (
    select * from filtered_apps($department, $recruiter, $job, $source) f
    where in_period(applied_at, $date_from, $date_to)
),

final as (
    select
        group_key($group_by, applied_at, department, recruiter_id, job_id, source, furthest_stage) as group_key,
        any_value(group_label($group_by, recruiter_name, recruiter_id, job_title, job_id)) as label,
        count(*) as applications,
        quantile_cont(first_response_hours, 0.5) as first_response_hours_median,
        count(first_response_hours) as first_response_n,
        avg(case when comms_known then coalesce(first_response_hours <= 336, false)::int end)
            filter (where applied_at <= $as_of - interval 14 days) as responded_within_14d_rate,
        count(*) filter (where comms_known and applied_at <= $as_of - interval 14 days)
            as responded_within_14d_n
    from apps
    group by all
)

select * from final order by group_key
