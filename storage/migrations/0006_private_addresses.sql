-- Personal reminders set up in a Telegram group or a Slack channel were sent to that chat.
-- From now on they go to the person's private chat: an empty chat_id, which each platform's
-- messenger resolves (Telegram: the user's id; Slack: the app's DM with the user).
UPDATE subscriptions SET chat_id = ''
 WHERE (platform = 'telegram' AND chat_id LIKE '-%')
    OR (platform = 'slack' AND chat_id NOT LIKE 'D%');
UPDATE status_dates SET chat_id = ''
 WHERE (platform = 'telegram' AND chat_id LIKE '-%')
    OR (platform = 'slack' AND chat_id NOT LIKE 'D%');
UPDATE action_items SET chat_id = ''
 WHERE (platform = 'telegram' AND chat_id LIKE '-%')
    OR (platform = 'slack' AND chat_id NOT LIKE 'D%');
