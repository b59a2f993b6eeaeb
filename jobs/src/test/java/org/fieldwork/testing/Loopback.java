package org.fieldwork.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on 127.0.0.1 for daemons a test starts; never fixed ports, other builds share the machine. */
public final class Loopback {
    public static final String HOST = "127.0.0.1";

    private Loopback() {
    }

    /**
     * {@code count} distinct free ports. All sockets stay open until every port is chosen, so the
     * OS cannot hand the same port out twice; a daemon may still lose a port to another process in
     * the short gap before it binds, which callers detect as a start failure.
     */
    public static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing a listening socket that never accepted cannot lose data
                    }
                }
            }
        }
    }

    public static int freePort() {
        return freePorts(1)[0];
    }
}
