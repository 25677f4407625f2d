-- A value encrypted with the master key at first start; decrypting it on every start proves the
-- configured key is the one the stored secrets were written with.
create table secrets_key_check (
    id         int not null primary key check (id = 1),
    ciphertext varchar(500) not null,
    created_at timestamp with time zone not null
);
