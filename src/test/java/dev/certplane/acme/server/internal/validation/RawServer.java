package dev.certplane.acme.server.internal.validation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A TCP server on a random loopback port whose handler writes whatever bytes a test needs, well-formed or not.
 * Each connection runs on its own daemon thread; {@link #close} closes the listener and every connection.
 */
final class RawServer implements AutoCloseable {

    @FunctionalInterface
    interface Handler {
        /** @param request the request head as received, up to the empty line */
        void handle(Socket socket, String request) throws Exception;
    }

    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> connections = Collections.synchronizedList(new ArrayList<>());
    private final ServerSocket listener;

    private RawServer(ServerSocket listener, boolean readHead, Handler handler) {
        this.listener = listener;
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    connections.add(socket);
                    Thread connection = new Thread(() -> serve(socket, readHead, handler), "raw-server-connection");
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "raw-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A server that reads each HTTP request head before handing the connection over. */
    static RawServer http(Handler handler) throws IOException {
        return new RawServer(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")), true, handler);
    }

    /** A server that hands each connection over as soon as it is accepted; the request is empty. */
    static RawServer tcp(Handler handler) throws IOException {
        return new RawServer(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")), false, handler);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void serve(Socket socket, boolean readHead, Handler handler) {
        try (socket) {
            String request = readHead ? head(socket.getInputStream()) : "";
            requests.add(request);
            handler.handle(socket, request);
        } catch (Exception e) {
            // The client went away or the test closed the server: nothing left to do for this connection.
        }
    }

    static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Holds the connection open, reading and discarding, until the client closes it. */
    static void holdOpen(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        while (in.read() >= 0) {
            // Wait for the client to give up.
        }
    }

    /** An HTTP request or response head, up to and including the empty line. */
    static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b; matched < 4 && (b = in.read()) >= 0; ) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (connections) {
            for (Socket socket : connections) {
                socket.close();
            }
        }
    }
}
