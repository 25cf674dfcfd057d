import com.sun.tools.attach.VirtualMachine;

/** Loads a native agent into a running JVM: {@code java bench/Attach.java PID LIBRARY OPTIONS} (async-profiler's
 * commands such as {@code start,event=itimer} cannot go through jcmd, which splits them at '='). */
public class Attach {
  public static void main(String[] args) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(args[0]);
    try {
      vm.loadAgentPath(args[1], args.length > 2 ? args[2] : null);
    } finally {
      vm.detach();
    }
  }
}
