package dev.certplane.acme.client.internal;

/**
 * dns-01 records through an operator's program, called as {@code <program> add|remove <fqdn> <value>}; it must
 * exit with 0 once the record is published or removed, and accept the same call twice (a resumed workflow
 * publishes again).
 */
final class ExecDns implements DnsRecords {

    private final ExecProgram program;

    ExecDns(ExecProgram program) {
        this.program = program;
    }

    @Override
    public String publish(String fqdn, String value) throws DnsException {
        run("add", fqdn, value);
        return "published by " + program + " add";
    }

    @Override
    public String remove(String fqdn, String value) throws DnsException {
        run("remove", fqdn, value);
        return "removed by " + program + " remove";
    }

    private void run(String command, String fqdn, String value) throws DnsException {
        try {
            program.run(command, fqdn, value);
        } catch (ExecException e) {
            throw new DnsException(e.getMessage());
        }
    }
}
