package org.fieldwork.cli;

public final class Fieldwork {
    public static void main(String[] args) {
    }
}
