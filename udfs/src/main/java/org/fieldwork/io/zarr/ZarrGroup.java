package org.fieldwork.io.zarr;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.fieldwork.io.Storage;

/** A Zarr v2 group: a folder with {@code .zgroup}, optional {@code .zattrs}, and member arrays and groups. */
public final class ZarrGroup implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ChunkStore store;

    private ZarrGroup(ChunkStore store) {
        this.store = store;
    }

    /** Writes {@code .zgroup} at {@code path} (keeping any members already there). */
    public static ZarrGroup create(Storage storage, String path) throws IOException {
        return create(ChunkStore.open(storage, path));
    }

    static ZarrGroup create(ChunkStore store) throws IOException {
        store.createRoot();
        var o = ZarrJson.object();
        o.put("zarr_format", 2);
        ZarrJson.write(store, ".zgroup", o);
        return new ZarrGroup(store);
    }

    public static ZarrGroup open(Storage storage, String path) throws IOException {
        return open(ChunkStore.open(storage, path));
    }

    static ZarrGroup open(ChunkStore store) throws IOException {
        JsonNode json = ZarrJson.read(store, ".zgroup");
        if (json == null) {
            throw new FileNotFoundException(store.location(".zgroup") + ": no Zarr group here");
        }
        if (json.path("zarr_format").asInt(-1) != 2) {
            throw new ZarrFormatException(store.root() + ": zarr_format is " + json.get("zarr_format")
                    + ", only 2 is supported");
        }
        return new ZarrGroup(store);
    }

    public String path() {
        return store.root();
    }

    public Map<String, Object> attributes() throws IOException {
        return ZarrJson.readAttributes(store);
    }

    /** Replaces {@code .zattrs}. */
    public void writeAttributes(Map<String, ?> attributes) throws IOException {
        ZarrJson.writeAttributes(store, attributes);
    }

    public ZarrGroup createGroup(String name) throws IOException {
        return create(store.child(checkName(name)));
    }

    public ZarrGroup openGroup(String name) throws IOException {
        return open(store.child(checkName(name)));
    }

    public ZarrArray createArray(String name, ZarrArrayMetadata metadata) throws IOException {
        return ZarrArray.create(store.child(checkName(name)), metadata);
    }

    public ZarrArray openArray(String name) throws IOException {
        return ZarrArray.open(store.child(checkName(name)));
    }

    /** Members are single path segments, so a name cannot escape the group. */
    private String checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException(path() + ": bad member name '" + name + "'");
        }
        return name;
    }

    @Override
    public String toString() {
        return "ZarrGroup(" + path() + ")";
    }
}
