#!/usr/bin/env python3
"""irq.py - print one layer of an IR .xml for shell tests (tests/ext).

usage: irq.py MODEL.xml LAYER_NAME   -> "TYPE VERSION k=v k=v | in=d,d;.. out=d,d;.."
       irq.py MODEL.xml --types      -> the layer types in file order, one per line
Exit 1 when the layer does not exist."""
import sys
import xml.etree.ElementTree as ET


def dims(port):
    return ",".join(d.text for d in port.findall("dim"))


def main():
    root = ET.parse(sys.argv[1]).getroot()
    layers = root.find("layers").findall("layer")
    if sys.argv[2] == "--types":
        for la in layers:
            print(la.get("type"))
        return 0
    for la in layers:
        if la.get("name") != sys.argv[2]:
            continue
        data = la.find("data")
        attrs = " ".join("%s=%s" % kv for kv in (data.attrib.items() if data is not None else []))
        ins = ";".join(dims(p) for p in la.findall("input/port"))
        outs = ";".join(dims(p) for p in la.findall("output/port"))
        print("%s %s %s | in=%s out=%s" % (la.get("type"), la.get("version"), attrs, ins, outs))
        return 0
    print("no layer named %r" % sys.argv[2])
    return 1


if __name__ == "__main__":
    sys.exit(main())
