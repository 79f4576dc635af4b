DROP INDEX users_nickname_idx;
