package dev.certplane.acme.server.internal.validation;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** The one way validation opens TCP connections, always to an address it has already checked. */
@FunctionalInterface
public interface Connector {

    Connector PLAIN = (address, timeoutMillis) -> {
        Socket socket = new Socket();
        try {
            socket.connect(address, timeoutMillis);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    };

    Socket connect(InetSocketAddress address, int timeoutMillis) throws IOException;
}
