package dev.certplane.renewal.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.certplane.renewal.RenewalMethod;
import dev.certplane.renewal.RenewalPolicy;
import dev.certplane.renewal.WindowMode;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owns {@code renewal_policies}. */
@Repository
public class PolicyStore {

    private final JdbcClient jdbc;

    PolicyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false if the scope has a policy already */
    public boolean insert(RenewalPolicy p) {
        try {
            jdbc.sql("""
                    insert into renewal_policies (id, scope_key, organization, method, auto_renew, renew_before_days,
                        window_mode, acme_issuer_id, acme_contact, acme_challenge, acme_dns_provider_id,
                        require_change_record, rollback_on_failure, max_concurrent_renewals, active, created_at,
                        updated_at)
                    values (:id, :scope, :organization, :method, :autoRenew, :renewBeforeDays, :window, :issuer,
                        :contact, :challenge, :dnsProvider, :changeRecord, :rollback, :maxConcurrent, :active,
                        :created, :updated)
                    """).paramSource(params(p)).update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** Changes everything but the scope. */
    public boolean update(RenewalPolicy p) {
        return jdbc.sql("""
                update renewal_policies set method = :method, auto_renew = :autoRenew,
                    renew_before_days = :renewBeforeDays, window_mode = :window, acme_issuer_id = :issuer,
                    acme_contact = :contact, acme_challenge = :challenge, acme_dns_provider_id = :dnsProvider,
                    require_change_record = :changeRecord, rollback_on_failure = :rollback,
                    max_concurrent_renewals = :maxConcurrent, active = :active, updated_at = :updated
                where id = :id
                """).paramSource(params(p)).update() == 1;
    }

    public boolean delete(String id) {
        return jdbc.sql("delete from renewal_policies where id = :id").param("id", id).update() == 1;
    }

    public Optional<RenewalPolicy> find(String id) {
        return jdbc.sql("select * from renewal_policies where id = :id").param("id", id).query(PolicyStore::policy)
                .optional();
    }

    /** The account default first, then organizations by name. */
    public List<RenewalPolicy> list() {
        return jdbc.sql("select * from renewal_policies order by case when organization is null then 0 else 1 end,"
                + " scope_key").query(PolicyStore::policy).list();
    }

    /** The organization's policy if it has one, else the account default. */
    public Optional<RenewalPolicy> effective(@Nullable String organization) {
        return jdbc.sql("select * from renewal_policies where scope_key in (:org, 'default')"
                + " order by case when scope_key = 'default' then 1 else 0 end fetch first 1 rows only")
                .param("org", organization == null ? "default" : scopeKey(organization)).query(PolicyStore::policy)
                .optional();
    }

    public static String scopeKey(@Nullable String organization) {
        return organization == null ? "default" : "org:" + organization.toLowerCase(Locale.ROOT);
    }

    private static MapSqlParameterSource params(RenewalPolicy p) {
        return new MapSqlParameterSource().addValue("id", p.id()).addValue("scope", scopeKey(p.organization()))
                .addValue("organization", p.organization()).addValue("method", p.method().wire())
                .addValue("autoRenew", p.autoRenew()).addValue("renewBeforeDays", p.renewBeforeDays())
                .addValue("window", p.window().wire()).addValue("issuer", p.acmeIssuerId())
                .addValue("contact", p.acmeContact()).addValue("challenge", p.acmeChallenge())
                .addValue("dnsProvider", p.acmeDnsProviderId()).addValue("changeRecord", p.requireChangeRecord())
                .addValue("rollback", p.rollbackOnFailure()).addValue("maxConcurrent", p.maxConcurrentRenewals())
                .addValue("active", p.active()).addValue("created", Timestamp.from(p.createdAt()))
                .addValue("updated", Timestamp.from(p.updatedAt()));
    }

    private static RenewalPolicy policy(ResultSet rs, int n) throws SQLException {
        return new RenewalPolicy(rs.getString("id"), rs.getString("organization"),
                RenewalMethod.parse(rs.getString("method")), rs.getBoolean("auto_renew"),
                rs.getInt("renew_before_days"), WindowMode.parse(rs.getString("window_mode")),
                rs.getString("acme_issuer_id"), rs.getString("acme_contact"), rs.getString("acme_challenge"),
                rs.getString("acme_dns_provider_id"), rs.getBoolean("require_change_record"),
                rs.getBoolean("rollback_on_failure"), rs.getInt("max_concurrent_renewals"), rs.getBoolean("active"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
