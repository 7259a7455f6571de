export { NOTIFICATIONS_QUEUE, NOTIFY_JOB, type NotificationJob, type NotificationTarget } from '@stockwall/contracts';
