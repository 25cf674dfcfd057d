# Marks the GLIBC_2.38 version need of an ELF object weak, so glibc 2.36 loads it (missing weak versions are not fatal);
# the three C23 symbols it wants come from shim.so via LD_PRELOAD.
import struct, sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
shoff, = struct.unpack_from('<Q', b, 0x28); shentsize, shnum = struct.unpack_from('<HH', b, 0x3a)
secs = [struct.unpack_from('<IIQQQQIIQQ', b, shoff + i * shentsize) for i in range(shnum)]
for s in secs:
    if s[1] == 0x6ffffffe:
        strtab = secs[s[6]][4]
        off = s[4]
        while True:
            ver, cnt, file_, aux, nxt = struct.unpack_from('<HHIII', b, off)
            a = off + aux
            for _ in range(cnt):
                h, flags, other, name, anext = struct.unpack_from('<IHHII', b, a)
                n = b[strtab + name: b.index(0, strtab + name)].decode()
                if n == 'GLIBC_2.38':
                    struct.pack_into('<H', b, a + 4, flags | 2); print('weakened', n)
                a += anext
            if nxt == 0: break
            off += nxt
open(p, 'wb').write(b)
