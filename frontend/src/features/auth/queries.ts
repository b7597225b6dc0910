import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { api, type LoginRequest } from "../../api/client";
import { unwrap } from "../../api/errors";
import { clearToken, setToken } from "../../api/token";
import { getDeviceToken, setDeviceToken } from "./deviceToken";

export const meQuery = queryOptions({
  queryKey: ["auth", "me"] as const,
  queryFn: () => unwrap(api.GET("/api/v1/auth/me")),
  staleTime: 5 * 60_000,
});

export function useMe() {
  return useQuery(meQuery);
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginRequest) => {
      // Sent back so that someone guessing this user's password never makes this browser wait.
      const device_token = body.device_token ?? getDeviceToken(body.email);
      return unwrap(
        api.POST("/api/v1/auth/login", { body: device_token ? { ...body, device_token } : body }),
      );
    },
    onSuccess: (data, body) => {
      queryClient.clear();
      setToken(data.token);
      setDeviceToken(body.email, data.device_token);
      queryClient.setQueryData(meQuery.queryKey, data.user);
    },
  });
}

/** Sign out on the server (best effort), forget the token and leave for /login. */
export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async () => {
      try {
        await api.POST("/api/v1/auth/logout");
      } catch {
        // Signing out locally must work even when the server is unreachable.
      }
    },
    onSettled: async () => {
      clearToken();
      await navigate({ to: "/login", replace: true });
      // Only now: clearing while the shell is mounted would refetch its queries.
      queryClient.clear();
    },
  });
}
