package dev.certplane.acme.server.internal.validation;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** A DNS server on a random UDP port of 127.0.0.1 that answers each query as a test scripts it. */
final class UdpDnsServer implements AutoCloseable {

    @FunctionalInterface
    interface Responder {
        /** @return the response's wire bytes, or null to send nothing */
        byte[] answer(Message query) throws IOException;
    }

    /** "name TYPE" of every question received, in order. */
    final List<String> questions = Collections.synchronizedList(new ArrayList<>());
    private final DatagramSocket socket;

    private UdpDnsServer(DatagramSocket socket, Responder responder) {
        this.socket = socket;
        Thread thread = new Thread(() -> serve(responder), "udp-dns-server");
        thread.setDaemon(true);
        thread.start();
    }

    static UdpDnsServer start(Responder responder) throws IOException {
        return new UdpDnsServer(new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0)),
                responder);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** A response to {@code query} with this rcode and these answer records. */
    static Message reply(Message query, int rcode, org.xbill.DNS.Record... answers) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RD);
        response.getHeader().setFlag(Flags.RA);
        response.getHeader().setRcode(rcode);
        response.addRecord(query.getQuestion(), Section.QUESTION);
        for (org.xbill.DNS.Record answer : answers) {
            response.addRecord(answer, Section.ANSWER);
        }
        return response;
    }

    static Message reply(Message query, org.xbill.DNS.Record... answers) {
        return reply(query, Rcode.NOERROR, answers);
    }

    private void serve(Responder responder) {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                org.xbill.DNS.Record question = query.getQuestion();
                questions.add(question.getName().toString(true) + " " + Type.string(question.getType()));
                byte[] response = responder.answer(query);
                if (response != null) {
                    socket.send(new DatagramPacket(response, response.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
