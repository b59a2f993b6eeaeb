package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Settings are checked before any work, each error naming its option; steps declare what they use. */
class EmSettingsTest {
    private static final EmSettings BASE = EmSettings.defaults(List.of("movies"));

    @Test
    void badOptionsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BASE.withSteps(Set.of("motion", "foo")))
                .getMessage().contains("unknown step 'foo'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BASE.withOptics(-1, 300, 2.7, 0))
                .getMessage().startsWith("--pixel-size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BASE.withOptics(1.35, 300, 2.7, -2))
                .getMessage().startsWith("--dose"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BASE.withParticleDiameter(0))
                .getMessage().startsWith("--particle-diameter"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BASE.withWorkers(-1))
                .getMessage().startsWith("--workers"));
    }

    @Test
    void thePixelSizeComesFromTheOptionThenTheHeaderThenTheDefault() {
        assertEquals(0.83, BASE.withOptics(0.83, 300, 2.7, 0).pixelSizeFor(1.1));
        assertEquals(1.1, BASE.pixelSizeFor(1.1));
        assertEquals(EmSettings.DEFAULT_PIXEL_SIZE_A, BASE.pixelSizeFor(0));
    }

    @Test
    void ctfAndPickingUseMotionOnlyWhenMotionRuns() {
        EmJob all = new EmJob(BASE);
        assertEquals(List.of("motion", "export", "ctf", "picking"), all.steps().stream().map(s -> s.name()).toList());
        all.steps().stream().skip(1).forEach(s -> assertEquals(List.of("motion"), s.uses(), s.name()));
        EmJob noMotion = new EmJob(BASE.withSteps(Set.of("ctf", "picking")));
        noMotion.steps().forEach(s -> assertEquals(List.of(), s.uses(), s.name()));
    }
}
