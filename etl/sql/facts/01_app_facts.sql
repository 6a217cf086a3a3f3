-- One row per application: everything the metrics need (docs/metrics.md), in applied_at order.
-- NULL means unknown or undefined (e.g. notice facts of an origin with no communications at
-- all), never zero; greatest() skips NULLs, so every clipped difference checks its inputs first.
create or replace table app_facts as
select
    a.app_key, a.origin, a.application_id, a.candidate_id, a.job_id, j.title as job_title,
    j.department, a.recruiter_id, u.name as recruiter_name, a.source,
    a.applied_at, a.status, a.closed_at, a.close_reason,
    ['applied', 'screen', 'interview', 'offer', 'hired'][coalesce(s.rank, 0) + 1] as furthest_stage,
    coalesce(s.interviewed, false) as interviewed,
    oi.has_communications as comms_known,
    case when oi.has_communications then fr.first_response_at end as first_response_at,
    case when oi.has_communications
         then (epoch(fr.first_response_at) - epoch(a.applied_at)) / 3600 end as first_response_hours,
    case when a.status = 'rejected' and oi.has_communications then n.notice_at end as notice_at,
    case when a.status = 'rejected' and oi.has_communications
         then coalesce(n.notice_kind, 'none') end as notice_kind,
    case when a.status = 'rejected' and oi.has_communications and n.notice_at is not null
         then greatest(0, (epoch(n.notice_at) - epoch(a.closed_at)) / 3600) end as notice_lag_hours,
    case when a.status = 'withdrawn' and oi.has_communications
         then w.app_key is not null end as withdrawal_notice,
    case when a.status = 'rejected' then r.app_key is not null end as reapplied,
    f.offer_id, f.version as offer_version, f.sent_at as offer_sent_at,
    f.deadline_at as offer_deadline_at, f.responded_at as offer_responded_at,
    f.status as offer_status, f.reneged_at as offer_reneged_at,
    case when f.status in ('accepted', 'declined', 'reneged') and f.responded_at is not null
         then greatest(0, (epoch(f.responded_at) - epoch(f.sent_at)) / 3600) end as offer_answer_hours,
    case when f.status = 'declined' then
        case when coalesce(f.response_channel, orp.channel) in ('phone', 'video', 'in_person') then 'call'
             when coalesce(f.response_channel, orp.channel) is not null then 'written'
             else 'unknown' end end as decline_channel,
    case when f.status = 'declined' then f.decline_reason end as decline_reason,
    -- contact details only where the call list needs them: rejected interviewees
    ct.name as candidate_name, ct.phone as candidate_phone, ct.email as candidate_email,
    cohort_week(a.applied_at) as cohort_week, cohort_month(a.applied_at) as cohort_month
from apps a
left join jobs j on j.origin = a.origin and j.job_id = a.job_id
left join users u on u.origin = a.origin and u.user_id = a.recruiter_id
left join origin_inputs oi on oi.origin = a.origin
left join stage_reached s using (app_key)
left join first_responses fr using (app_key)
left join notices n using (app_key)
left join withdrawal_notices w using (app_key)
left join reapplications r using (app_key)
left join final_offers f using (app_key)
left join offer_replies orp using (app_key)
left join contacts ct using (app_key)
order by a.applied_at;
